import type { Page } from 'playwright-core';
import { DEMO_PASSWORD, type Stack } from './stack';

/** Calls the review server's HTTP API as `token` (JSON, or multipart for a FormData body). */
export async function callApi(
  stack: Stack,
  path: string,
  token: string | null,
  body?: unknown,
  method = 'POST',
): Promise<unknown> {
  const multipart = body instanceof FormData;
  const response = await fetch(`${stack.url}${path}`, {
    method,
    headers: {
      ...(body === undefined || multipart ? {} : { 'content-type': 'application/json' }),
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
    },
    ...(body === undefined ? {} : { body: multipart ? body : JSON.stringify(body) }),
  });
  if (!response.ok) {
    throw new Error(`${method} ${path}: ${String(response.status)} ${await response.text()}`);
  }
  return response.status === 204 ? null : response.json();
}

/** A demo user's access token. */
export async function loginToken(stack: Stack, username: string): Promise<string> {
  const answer = (await callApi(stack, '/auth/login', null, {
    username,
    password: DEMO_PASSWORD,
  })) as { accessToken: string };
  return answer.accessToken;
}

const SIGN_IN_BUTTON = { en: 'Sign in', 'zh-CN': '登录' } as const;

/** Opens the workstation in `lang` and signs in, unless this browser profile still is. */
export async function signInAs(
  stack: Stack,
  page: Page,
  username: string,
  lang: 'en' | 'zh-CN' = 'en',
): Promise<void> {
  await page.goto(`${stack.url}/?lang=${lang}#/queue`);
  await page.locator('input[name="username"], [data-testid="sync-status"]').first().waitFor();
  if ((await page.locator('[data-testid="sync-status"]').count()) > 0) {
    return;
  }
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: SIGN_IN_BUTTON[lang], exact: true }).click();
  await page.locator('[data-testid="sync-status"]').waitFor();
}
