// The clip viewer's page: the document shell and its CSP (webviewPage) around the viewer's markup (viewerMarkup).

import { viewerMarkup } from '../../shared/clipViewer/viewerMarkup';
import { webviewPage, type PanelHtmlInput } from '../webviews/webviewPage';

export function clipViewerHtml(input: PanelHtmlInput): string {
  return webviewPage(input, viewerMarkup());
}
