import type { TFunction } from 'i18next';
import type { SignInProblem } from '../../app/store';

/**
 * What the sign-in page says for each failure. An address that answers 404/405 to the sign-in
 * call is some other web server (or a static file server), not a review server: for the person
 * at the desk that is "cannot reach the review server", with the HTTP status as a clue.
 */
export function signInProblemMessage(
  problem: SignInProblem,
  serverUrl: string,
  t: TFunction,
): string {
  switch (problem.code) {
    case 'unreachable':
      return t('signIn.errors.unreachable', { url: serverUrl });
    case 'invalid_credentials':
      return t('signIn.errors.invalidCredentials');
    case 'inactive':
      return t('signIn.errors.inactive');
    case 'rate_limited':
      return problem.retryAfterSeconds === null
        ? t('signIn.errors.rateLimitedNoWait')
        : t('signIn.errors.rateLimited', { seconds: Math.ceil(problem.retryAfterSeconds) });
    case 'server_error':
      return problem.status === 404 || problem.status === 405
        ? t('signIn.errors.notAServer', { url: serverUrl, status: problem.status })
        : t('signIn.errors.serverError', { status: problem.status });
    case 'open_failed':
      return t('signIn.errors.openFailed', { detail: problem.detail });
  }
}
