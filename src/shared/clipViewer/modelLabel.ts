// One name for a YOFO model wherever it shows (the run pickers, the viewer's list, header, status line, captions and
// comparison): "YOFO <model name>". A run made by Run YOFO on Split carries that name, so the viewer knows its masks
// are the ones a per-expression YOFO run of the same model gives.

export function modelLabel(modelName: string | undefined): string {
  return modelName ? `YOFO ${modelName}` : 'YOFO';
}

/** The model of a run named by modelLabel (a run made by Run YOFO on Split); undefined for any other run. */
export function modelOfRunName(runName: string | undefined): string | undefined {
  return /^YOFO (.+)$/.exec(runName ?? '')?.[1];
}
