// Request/response over postMessage: numbers each request, resolves it with the answer that echoes the number, rejects
// it with the host's typed error. Pure apart from the `post` function it is given.

import { isHostResponse, type HostMessage, type HostNotification, type HostResponse, type WebviewRequest } from '../shared/protocol';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type RequestBody = DistributiveOmit<WebviewRequest, 'requestId'>;
type AnswerOf<R extends RequestBody> = R extends { type: 'getClip' }
  ? Extract<HostResponse, { type: 'clip' }>
  : R extends { type: 'addExpression' }
    ? Extract<HostResponse, { type: 'expressionAdded' }>
    : R extends { type: 'getScores' }
      ? Extract<HostResponse, { type: 'scores' }>
      : Extract<HostResponse, { type: 'frame' }>;

export class HostError extends Error {}

export class Rpc {
  private next = 1;
  private readonly pending = new Map<number, { resolve: (m: HostResponse) => void; reject: (e: Error) => void }>();

  constructor(
    private readonly post: (message: WebviewRequest) => void,
    private readonly onNotification: (message: HostNotification) => void,
  ) {}

  request<R extends RequestBody>(body: R): Promise<AnswerOf<R>> {
    const requestId = this.next++;
    return new Promise<HostResponse>((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject });
      this.post({ ...body, requestId } as WebviewRequest);
    }) as Promise<AnswerOf<R>>;
  }

  /** Feeds one message from the host; answers to unknown (already settled) requests are dropped. */
  receive(message: HostMessage): void {
    if (!isHostResponse(message)) {
      this.onNotification(message);
      return;
    }
    const waiter = this.pending.get(message.requestId);
    if (!waiter) return;
    this.pending.delete(message.requestId);
    if (message.type === 'error') waiter.reject(new HostError(message.message));
    else waiter.resolve(message);
  }

  /** Number of requests still waiting for an answer. */
  get inFlight(): number {
    return this.pending.size;
  }
}
