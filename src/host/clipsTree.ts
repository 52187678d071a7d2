// The Clips view: dataset → clips → expressions, under the current filter, with the active run's J&F.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Expression, Video } from '../core/types';
import { filterClips } from './clipFilter';
import type { Session } from './session';
import { categoryIcon, clipDescription, expressionDescription, filterMessage, runDescription } from './treeLabels';

export type ClipNode =
  | { kind: 'dataset' }
  | { kind: 'clip'; video: Video; expressions: Expression[] }
  | { kind: 'expression'; video: Video; expression: Expression };

export class ClipsTree implements vscode.TreeDataProvider<ClipNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ClipNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private view: vscode.TreeView<ClipNode> | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly session: Session) {
    this.subscription = session.onDidChange(() => this.refresh());
  }

  /** Connects the TreeView whose message and description this tree keeps current. */
  attach(view: vscode.TreeView<ClipNode>): void {
    this.view = view;
    this.updateViewTexts();
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  refresh(): void {
    this.updateViewTexts();
    this.changed.fire(undefined);
  }

  private visibleClips() {
    const ds = this.session.dataset;
    return ds ? filterClips(ds.videos, this.session.filter) : [];
  }

  private updateViewTexts(): void {
    if (!this.view) return;
    const ds = this.session.dataset;
    const filter = this.session.filter;
    this.view.message = ds && filter ? filterMessage(filter.text, this.visibleClips().length, ds.videos.length) : undefined;
    const run = this.session.activeRunName;
    this.view.description = ds ? `${ds.split}${run !== undefined ? ` · ${run}` : ''}` : undefined;
    void vscode.commands.executeCommand('setContext', 'rvos.filterActive', filter !== undefined);
    void vscode.commands.executeCommand('setContext', 'rvos.datasetOpen', ds !== undefined);
  }

  getChildren(node?: ClipNode): ClipNode[] {
    const ds = this.session.dataset;
    if (!ds) return []; // viewsWelcome shows "Open Dataset…"
    if (!node) return [{ kind: 'dataset' }];
    if (node.kind === 'dataset') return this.visibleClips().map(({ video, expressions }) => ({ kind: 'clip', video, expressions }));
    if (node.kind === 'clip') return node.expressions.map((expression) => ({ kind: 'expression', video: node.video, expression }));
    return [];
  }

  getTreeItem(node: ClipNode): vscode.TreeItem {
    const ds = this.session.dataset;
    const active = this.session.activeRun;
    if (node.kind === 'dataset') {
      const item = new vscode.TreeItem(ds ? path.basename(ds.root) : 'dataset', vscode.TreeItemCollapsibleState.Expanded);
      item.description = ds ? `${ds.split} · ${ds.videos.length} clips${active ? ` · ${active.run.name}: ${runDescription(active.scores.mean())}` : ''}` : '';
      item.tooltip = ds ? `${ds.root}\nsplit ${ds.split}${ds.problems.length ? `\n${ds.problems.length} problems (RVOS: Show Dataset Problems)` : ''}` : undefined;
      item.iconPath = new vscode.ThemeIcon('database');
      item.contextValue = 'dataset';
      return item;
    }
    if (node.kind === 'clip') {
      const item = new vscode.TreeItem(node.video.id, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `clip:${node.video.id}`;
      item.description = clipDescription(node.video, active?.scores.clipRange(node.video.id));
      item.iconPath = new vscode.ThemeIcon('device-camera-video');
      item.contextValue = 'clip';
      item.command = { command: 'rvos.showClip', title: 'Show Clip', arguments: [node.video.id] };
      return item;
    }
    const { video, expression } = node;
    const item = new vscode.TreeItem(expression.text, vscode.TreeItemCollapsibleState.None);
    item.id = `exp:${video.id}:${expression.expId}`;
    const hasGt = ds !== undefined && ds.hasAnnotations && expression.objId !== undefined;
    item.description = expressionDescription(active?.scores.expression(video.id, expression.expId), hasGt);
    item.tooltip = `${video.id} · expression ${expression.expId}${expression.objId !== undefined ? ` · object ${expression.objId}` : ''}${expression.category ? ` · ${expression.category}` : ''}\n${expression.text}`;
    item.iconPath = new vscode.ThemeIcon(categoryIcon(expression.category));
    item.contextValue = 'expression';
    item.command = { command: 'rvos.showClip', title: 'Show Clip', arguments: [video.id, expression.expId] };
    return item;
  }
}
