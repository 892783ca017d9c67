// The engine's errors as Docker's answers: {"message": ...} with the status Docker gives for the
// same failure (404 no such object, 409 conflict, 400 bad parameter, 500 otherwise).
import { ApiError } from './types';

const BY_CODE: Record<string, number> = {
  ENOCONTAINER: 404,
  ENOIMAGE: 404,
  ENOOBJECT: 404,
  ENOPOD: 404,
  ENOSECRET: 404,
  ENONETWORK: 404,
  ENOVOLUME: 404,
  EINVAL: 400,
  EUSAGE: 400,
  ETEMPLATE: 400,
  ESTATE: 409,
  EDEPEND: 409,
};

/** The status and message to answer for err. */
export function apiFailure(err: unknown): { status: number; message: string } {
  if (err instanceof ApiError) return { status: err.status, message: err.message };
  const e = err as { code?: string; message?: string };
  const message = e?.message ?? String(err);
  const status = (e?.code && BY_CODE[e.code]) || (/\bin use\b|already (exists|in use)|is running|name .* is in use/.test(message) ? 409 : 500);
  return { status, message };
}
