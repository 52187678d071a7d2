// Request/response with the host for the Failures panel: numbers each request, resolves it with the answer that
// echoes the number, rejects it with the host's typed error; notifications go to a callback.

import {
  isFailuresResponse,
  type FailuresHostMessage,
  type FailuresHostNotification,
  type FailuresRequest,
  type FailuresResponse,
} from '../../shared/failuresProtocol';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type FailuresRequestBody = DistributiveOmit<FailuresRequest, 'requestId'>;
type AnswerOf<R extends FailuresRequestBody> = R extends { type: 'getContext' }
  ? Extract<FailuresResponse, { type: 'context' }>
  : R extends { type: 'query' }
    ? Extract<FailuresResponse, { type: 'rows' }>
    : Extract<FailuresResponse, { type: 'annotated' }>;

export class FailuresHostError extends Error {}

export class FailuresRpc {
  private next = 1;
  private readonly pending = new Map<number, { resolve: (m: FailuresResponse) => void; reject: (e: Error) => void }>();

  constructor(
    private readonly post: (message: FailuresRequest) => void,
    private readonly onNotification: (message: FailuresHostNotification) => void,
  ) {}

  request<R extends FailuresRequestBody>(body: R): Promise<AnswerOf<R>> {
    const requestId = this.next++;
    return new Promise<FailuresResponse>((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject });
      this.post({ ...body, requestId } as FailuresRequest);
    }) as Promise<AnswerOf<R>>;
  }

  receive(message: FailuresHostMessage): void {
    if (!isFailuresResponse(message)) {
      this.onNotification(message);
      return;
    }
    const waiter = this.pending.get(message.requestId);
    if (!waiter) return;
    this.pending.delete(message.requestId);
    if (message.type === 'error') waiter.reject(new FailuresHostError(message.message));
    else waiter.resolve(message);
  }
}
