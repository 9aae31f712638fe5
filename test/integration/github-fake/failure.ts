// Octokit's RequestError, read without importing a transitive package.
export interface HttpFailure extends Error {
  status: number;
  response?: { data: unknown; headers: Record<string, string | number | undefined> };
}

/** The error a request fails with; throws when it succeeds or fails without an HTTP status. */
export async function failure(p: Promise<unknown>): Promise<HttpFailure> {
  try {
    await p;
  } catch (e) {
    if (e instanceof Error && typeof (e as Partial<HttpFailure>).status === 'number')
      return e as HttpFailure;
    throw e;
  }
  throw new Error('expected the request to fail');
}
