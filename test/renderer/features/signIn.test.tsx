import 'fake-indexeddb/auto';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeFetch, json, makeUser, renderApp, SERVER_URL } from '../app/harness';

beforeEach(() => {
  window.location.hash = '';
});

async function fillAndSubmit(labels: { username: string; password: string; submit: string }) {
  await userEvent.type(screen.getByLabelText(labels.username), 'reviewer1');
  await userEvent.type(screen.getByLabelText(labels.password), 'wrong-or-right');
  await userEvent.click(screen.getByRole('button', { name: labels.submit }));
}

const EN = { username: 'Username', password: 'Password', submit: 'Sign in' };
const ZH = { username: '用户名', password: '密码', submit: '登录' };

describe('sign-in page', () => {
  it('labels its inputs in zh-CN, with the names password managers and tests rely on', async () => {
    await renderApp();
    const server = screen.getByLabelText<HTMLInputElement>('审核服务器地址');
    const username = screen.getByLabelText<HTMLInputElement>('用户名');
    const password = screen.getByLabelText<HTMLInputElement>('密码');
    expect(server.name).toBe('serverUrl');
    expect(server.value).toBe(SERVER_URL);
    expect(username.name).toBe('username');
    expect(username.autocomplete).toBe('username');
    expect(password.name).toBe('password');
    expect(password.type).toBe('password');
    expect(screen.getByRole('button', { name: '登录' })).toBeTruthy();
  });

  it('labels its inputs in English', async () => {
    await renderApp({ locale: 'en' });
    expect(screen.getByLabelText<HTMLInputElement>('Review server address').name).toBe('serverUrl');
    expect(screen.getByLabelText<HTMLInputElement>('Username').name).toBe('username');
    expect(screen.getByLabelText<HTMLInputElement>('Password').name).toBe('password');
  });

  it('prefills the page’s own origin in web mode and does not let it be changed', async () => {
    await renderApp({ mode: 'web' });
    const server = screen.getByLabelText<HTMLInputElement>('审核服务器地址');
    expect(server.value).toBe(SERVER_URL);
    expect(server.readOnly).toBe(true);
  });

  it('checks the fields before calling the server', async () => {
    const fetch = fakeFetch(() => json(200, {}));
    await renderApp({ locale: 'en', fetch });
    await userEvent.clear(screen.getByLabelText('Review server address'));
    await userEvent.type(screen.getByLabelText('Review server address'), 'review-server');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(screen.getByText(/Enter an address starting with http:\/\/ or https:\/\//)).toBeTruthy();
    expect(screen.getAllByText('Required')).toHaveLength(2);
    expect(fetch.calls).toEqual([]);
  });

  it.each([
    {
      name: 'unreachable',
      answer: () => {
        throw new TypeError('Failed to fetch');
      },
      en: `Cannot reach the review server at ${SERVER_URL}. Check the network connection and the server address.`,
      zh: `无法连接审核服务器 ${SERVER_URL}。请检查网络连接和服务器地址。`,
    },
    {
      name: 'not a review server (404)',
      answer: () => new Response('', { status: 404 }),
      en: `Cannot reach the review server at ${SERVER_URL}: nothing there answers like a review server (HTTP 404). Check the server address.`,
      zh: `无法连接审核服务器 ${SERVER_URL}：该地址没有审核服务器响应（HTTP 404）。请检查服务器地址。`,
    },
    {
      name: 'wrong password',
      answer: () => json(401, { code: 'INVALID_CREDENTIALS' }),
      en: 'Wrong username or password.',
      zh: '用户名或密码不正确。',
    },
    {
      name: 'inactive account',
      answer: () => json(403, { code: 'INACTIVE' }),
      en: 'This account is deactivated. Ask your operations manager to reactivate it.',
      zh: '该账号已停用，请联系运营经理重新启用。',
    },
    {
      name: 'too many attempts',
      answer: () => json(429, { code: 'RATE_LIMITED' }, { 'retry-after': '42' }),
      en: 'Too many sign-in attempts. Wait 42 seconds, then try again.',
      zh: '登录尝试次数过多，请等待 42 秒后再试。',
    },
    {
      name: 'too many attempts, no wait given',
      answer: () => json(429, { code: 'RATE_LIMITED' }),
      en: 'Too many sign-in attempts. Wait a moment, then try again.',
      zh: '登录尝试次数过多，请稍后再试。',
    },
    {
      name: 'server error',
      answer: () => json(500, { code: 'INTERNAL' }),
      en: 'The review server failed (HTTP 500). Try again in a moment.',
      zh: '审核服务器出错（HTTP 500），请稍后再试。',
    },
  ])('explains a failed sign-in: $name', async ({ answer, en, zh }) => {
    const first = await renderApp({ locale: 'en', fetch: fakeFetch(answer) });
    await fillAndSubmit(EN);
    expect((await screen.findByRole('alert')).textContent).toContain(en);
    expect(first.opened).toHaveLength(0);
    // The form stays usable: the button is not stuck in progress.
    expect(screen.getByRole('button', { name: 'Sign in' }).hasAttribute('data-loading')).toBe(
      false,
    );
    first.unmount();

    await renderApp({ locale: 'zh-CN', fetch: fakeFetch(answer) });
    await fillAndSubmit(ZH);
    expect((await screen.findByRole('alert')).textContent).toContain(zh);
  });

  it('shows progress while signing in', async () => {
    let release: (response: Response) => void = () => undefined;
    const user = makeUser('reviewer');
    const fetch = fakeFetch(
      () =>
        new Promise<Response>((resolve) => {
          release = resolve;
        }),
    );
    const { opened } = await renderApp({ locale: 'en', fetch });
    await fillAndSubmit(EN);
    const button = screen.getByRole('button', { name: 'Sign in' });
    expect(button.hasAttribute('data-loading')).toBe(true);
    expect(screen.getByRole('status').textContent).toBe('Signing in…');

    release(json(200, { accessToken: 'a', refreshToken: 'r', user }));
    expect(await screen.findByRole('heading', { level: 2, name: 'Review queue' })).toBeTruthy();
    await waitFor(() => {
      expect(opened).toHaveLength(1);
    });
  });
});
