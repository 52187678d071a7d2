// Request/response over postMessage, one channel class for every webview (clip viewer, Failures panel): numbers each
// request, resolves it with the answer that echoes the number, rejects it with the host's error; every other message
// is a notification. Pure apart from the `post` function it is given.

/** What every request and answer carries. */
interface Numbered {
  type: string;
  requestId: number;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A request as the caller writes it: the channel adds the number. */
export type RequestBody<Request extends Numbered> = DistributiveOmit<Request, 'requestId'>;

/** The answer type each request type gets (besides `error`), e.g. `{ getClip: 'clip' }`; a protocol declares it once. */
export type AnswerTypes<Request extends Numbered, Response extends Numbered> = {
  readonly [T in Request['type']]: Exclude<Response['type'], 'error'>;
};

/** The host's `{ type: 'error', message }` answer, or an answer of the wrong type for its request (a protocol bug). */
export class HostError extends Error {}

export class RpcChannel<
  Request extends Numbered,
  Response extends Numbered,
  Notification,
  Answers extends AnswerTypes<Request, Response>,
> {
  private next = 1;
  private readonly pending = new Map<
    number,
    { expected: string; resolve: (m: Response) => void; reject: (e: Error) => void }
  >();

  constructor(
    private readonly post: (message: Request) => void,
    private readonly onNotification: (message: Notification) => void,
    private readonly isResponse: (message: Response | Notification) => message is Response,
    private readonly answers: Answers,
  ) {}

  request<R extends RequestBody<Request>>(body: R): Promise<Extract<Response, { type: Answers[R['type']] }>> {
    const requestId = this.next++;
    const expected: string = this.answers[body.type as R['type']];
    return new Promise<Response>((resolve, reject) => {
      this.pending.set(requestId, { expected, resolve, reject });
      this.post({ ...body, requestId } as unknown as Request);
    }) as Promise<Extract<Response, { type: Answers[R['type']] }>>;
  }

  /** Feeds one message from the host; answers to unknown (already settled) requests are dropped. */
  receive(message: Response | Notification): void {
    if (!this.isResponse(message)) {
      this.onNotification(message);
      return;
    }
    const waiter = this.pending.get(message.requestId);
    if (!waiter) return;
    this.pending.delete(message.requestId);
    if (message.type === 'error') waiter.reject(new HostError(String((message as { message?: unknown }).message)));
    else if (message.type !== waiter.expected)
      waiter.reject(new HostError(`the host answered "${message.type}" where "${waiter.expected}" was expected`));
    else waiter.resolve(message);
  }

  /** Number of requests still waiting for an answer. */
  get inFlight(): number {
    return this.pending.size;
  }
}
