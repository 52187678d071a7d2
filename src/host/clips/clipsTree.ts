// The Clips view: dataset → clips → expressions, under the current filter, with the active run's J&F.
//
// VS Code keeps a row command's arguments only while the row lives: a click that lands while a refresh replaces the
// row fails with "Actual command not found, wanted to execute rvos.showClip /N" (scores arrive right after a click,
// since opening a viewer scores its clip). So a row's command has no arguments: it opens what the tree has selected
// (VS Code sends the selection before the command), and a score or run change refreshes only the rows whose text
// changed, so the rows' handles stay known; the run's summary is the view's message, not a row's text.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { expressionHasGroundTruth } from '../../core/benchmarks';
import type { Expression, Video } from '../../core/types';
import { filterClips } from './clipFilter';
import type { Session } from '../session/session';
import { categoryIcon, clipDescription, expressionDescription, filterMessage, runDescription } from './treeLabels';

export type ClipNode =
  | { kind: 'dataset' }
  | { kind: 'clip'; video: Video; expressions: Expression[] }
  | { kind: 'expression'; video: Video; expression: Expression };

/** The command of a row: shows the selected clip or expression (see the note at the top). */
const OPEN_ROW_COMMAND = 'rvos.openClipsRow';

export class ClipsTree implements vscode.TreeDataProvider<ClipNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ClipNode | ClipNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private view: vscode.TreeView<ClipNode> | undefined;
  private readonly subscription: vscode.Disposable;
  private readonly rowCommand: vscode.Disposable;
  /** The nodes of the open dataset under the current filter, kept so a partial refresh can name them. */
  private nodes: { root: ClipNode; children: Map<ClipNode, ClipNode[]> } | undefined;
  /** The description each node was last handed to VS Code with. */
  private readonly drawn = new Map<ClipNode, string>();

  constructor(private readonly session: Session) {
    this.subscription = session.onDidChange((kind) =>
      kind === 'runs' || kind === 'scores' ? this.refreshChanged() : this.refresh(),
    );
    this.rowCommand = vscode.commands.registerCommand(OPEN_ROW_COMMAND, () => this.openSelected());
  }

  private openSelected(): Thenable<unknown> | undefined {
    const [node] = this.view?.selection ?? [];
    if (node?.kind === 'clip') return vscode.commands.executeCommand('rvos.showClip', node.video.id);
    if (node?.kind === 'expression')
      return vscode.commands.executeCommand('rvos.showClip', node.video.id, node.expression.expId);
    return undefined;
  }

  /** Connects the TreeView whose message and description this tree keeps current. */
  attach(view: vscode.TreeView<ClipNode>): void {
    this.view = view;
    this.updateViewTexts();
  }

  dispose(): void {
    this.subscription.dispose();
    this.rowCommand.dispose();
    this.changed.dispose();
  }

  /** Rebuilds the whole tree (the dataset or the filter changed). */
  refresh(): void {
    this.nodes = undefined;
    this.drawn.clear();
    this.updateViewTexts();
    this.changed.fire(undefined);
  }

  /** Refreshes only the rows whose description changed (new scores, another active run). */
  private refreshChanged(): void {
    this.updateViewTexts();
    const changed = [...this.drawn].filter(([node, text]) => this.describe(node) !== text).map(([node]) => node);
    for (const node of changed) this.drawn.delete(node);
    if (changed.length > 0) this.changed.fire(changed);
  }

  private visibleClips() {
    const ds = this.session.dataset;
    return ds ? filterClips(ds.videos, this.session.filter) : [];
  }

  private updateViewTexts(): void {
    if (!this.view) return;
    const ds = this.session.dataset;
    const filter = this.session.filter;
    const active = ds && this.session.activeRun;
    // The run's summary sits above the tree, not in the dataset row: a change of that row would replace every row.
    const lines = [
      active ? `${active.run.name}: ${runDescription(active.scores.mean())}` : '',
      ds && filter ? filterMessage(filter.text, this.visibleClips().length, ds.videos.length) : '',
    ];
    this.view.message = lines.filter((l) => l !== '').join('\n') || undefined;
    const run = this.session.activeRunName;
    this.view.description = ds ? `${ds.split}${run !== undefined ? ` · ${run}` : ''}` : undefined;
    void vscode.commands.executeCommand('setContext', 'rvos.filterActive', filter !== undefined);
    void vscode.commands.executeCommand('setContext', 'rvos.datasetOpen', ds !== undefined);
  }

  getChildren(node?: ClipNode): ClipNode[] {
    if (!this.session.dataset) return []; // viewsWelcome shows "Open Dataset…"
    this.nodes ??= { root: { kind: 'dataset' }, children: new Map() };
    if (!node) return [this.nodes.root];
    let children = this.nodes.children.get(node);
    if (!children) {
      if (node.kind === 'dataset')
        children = this.visibleClips().map(({ video, expressions }): ClipNode => ({
          kind: 'clip',
          video,
          expressions,
        }));
      else if (node.kind === 'clip')
        children = node.expressions.map((expression): ClipNode => ({
          kind: 'expression',
          video: node.video,
          expression,
        }));
      else children = [];
      this.nodes.children.set(node, children);
    }
    return children;
  }

  /** The part of a row that follows the scores. */
  private describe(node: ClipNode): string {
    const ds = this.session.dataset;
    const active = this.session.activeRun;
    if (node.kind === 'dataset') return ds ? `${ds.split} · ${ds.videos.length} clips` : '';
    if (node.kind === 'clip') return clipDescription(node.video, active?.scores.clipRange(node.video.id));
    const hasGt = ds !== undefined && expressionHasGroundTruth(ds, node.expression);
    const { video, expression } = node;
    return expressionDescription(
      active?.scores.expression(video.id, expression.expId),
      hasGt,
      active?.scores.hasNoPrediction(video.id, expression.expId),
    );
  }

  getTreeItem(node: ClipNode): vscode.TreeItem {
    const item = this.treeItem(node);
    item.description = this.describe(node);
    this.drawn.set(node, item.description);
    return item;
  }

  private treeItem(node: ClipNode): vscode.TreeItem {
    const ds = this.session.dataset;
    if (node.kind === 'dataset') {
      const item = new vscode.TreeItem(
        ds ? path.basename(ds.root) : 'dataset',
        vscode.TreeItemCollapsibleState.Expanded,
      );
      item.tooltip = ds
        ? `${ds.root}\nsplit ${ds.split}${ds.problems.length ? `\n${ds.problems.length} problems (RVOS: Show Dataset Problems)` : ''}`
        : undefined;
      item.iconPath = new vscode.ThemeIcon('database');
      item.contextValue = 'dataset';
      return item;
    }
    if (node.kind === 'clip') {
      const item = new vscode.TreeItem(node.video.id, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `clip:${node.video.id}`;
      item.iconPath = new vscode.ThemeIcon('device-camera-video');
      item.contextValue = 'clip';
      item.command = { command: OPEN_ROW_COMMAND, title: 'Show Clip' };
      return item;
    }
    const { video, expression } = node;
    const item = new vscode.TreeItem(expression.text, vscode.TreeItemCollapsibleState.None);
    item.id = `exp:${video.id}:${expression.expId}`;
    item.tooltip = `${video.id} · expression ${expression.expId}${expression.objId !== undefined ? ` · object ${expression.objId}` : ''}${expression.category ? ` · ${expression.category}` : ''}\n${expression.text}`;
    item.iconPath = new vscode.ThemeIcon(categoryIcon(expression.category));
    item.contextValue = 'expression';
    item.command = { command: OPEN_ROW_COMMAND, title: 'Show Clip' };
    return item;
  }
}
