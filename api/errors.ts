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
  const message = dockerWording(e?.code, e?.message ?? String(err));
  const status = (e?.code && BY_CODE[e.code]) || (/\bin use\b|already (exists|in use)|is running|name .* is in use/.test(message) ? 409 : 500);
  return { status, message };
}

/** Docker's words for a missing object (what its CLI prints after "Error response from daemon:"). */
function dockerWording(code: string | undefined, message: string): string {
  const quoted = /"([^"]*)"/.exec(message)?.[1];
  switch (code) {
    case 'ENOCONTAINER':
      return quoted !== undefined ? `No such container: ${quoted}` : message;
    case 'ENOIMAGE': {
      const m = /^(.*): image not known$/.exec(message);
      return m ? `No such image: ${m[1]}` : message;
    }
    case 'ENOVOLUME':
      return quoted !== undefined ? `get ${quoted}: no such volume` : message;
    case 'ENONETWORK': {
      const m = /with name or ID (\S+): network not found/.exec(message);
      return m ? `network ${m[1]} not found` : message;
    }
    default:
      return message;
  }
}
