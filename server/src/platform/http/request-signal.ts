import type { ServerResponse } from 'node:http';

/** Aborts when the client goes away before the response is finished, so its database work can stop. */
export function abortSignalOf(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new Error('the client closed the connection'));
  });
  return controller.signal;
}
