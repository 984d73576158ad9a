/** The contract's error body, `{ error: { type, message, request_id } }`, read defensively. */
export interface ApiError {
  readonly type: string;
  readonly message: string;
  readonly requestId?: string;
}

/** The API error in `body`, when it has the contract's shape; anything else (an HTML page, text) gives undefined. */
export function readApiError(body: unknown): ApiError | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const error: unknown = (body as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return undefined;
  const { type, message, request_id: requestId } = error as { type?: unknown; message?: unknown; request_id?: unknown };
  if (typeof message !== 'string') return undefined;
  return {
    type: typeof type === 'string' ? type : 'error',
    message,
    ...(typeof requestId === 'string' && { requestId }),
  };
}
