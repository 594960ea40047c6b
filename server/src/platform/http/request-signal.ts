import type { Response } from 'express';

/** Aborts when the client goes away before the response is finished, so its database work can stop. */
export function abortSignalOf(res: Response): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new Error('the client closed the connection'));
  });
  return controller.signal;
}
