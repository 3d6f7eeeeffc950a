/** An error that is an HTTP answer: status, a short code, a message and what to do. */
export interface Issue {
  path: string;
  message: string;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint?: string,
    readonly issues?: Issue[],
  ) {
    super(message);
  }

  static badRequest(message: string, issues?: Issue[], hint?: string): HttpError {
    return new HttpError(400, 'bad_request', message, hint, issues);
  }

  static notFound(message: string, hint?: string): HttpError {
    return new HttpError(404, 'not_found', message, hint);
  }

  static unavailable(message: string, hint?: string): HttpError {
    return new HttpError(503, 'unavailable', message, hint);
  }

  body() {
    return { error: this.code, message: this.message, ...(this.hint ? { hint: this.hint } : {}), ...(this.issues ? { issues: this.issues } : {}) };
  }
}
