// The CLI's commands. A new command is one module plus one entry here.

import type { Command } from './command';
import { evalCommand } from './eval';
import { checkCommand } from './check';
import { exportCommand } from './export';
import { reportCommand } from './report';
import { sampleCommand } from './sampleCommand';
import { scoreCommand } from './scoreCommand';

export const COMMANDS: Command[] = [
  scoreCommand,
  evalCommand,
  sampleCommand,
  reportCommand,
  exportCommand,
  checkCommand,
];
