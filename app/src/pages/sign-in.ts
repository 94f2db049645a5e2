import { getJson, type StaffUser, signIn } from '../api';
import { finishSignIn, isSignInAnswer, startSignIn } from '../auth';
import { appConfig, type CognitoConfig } from '../config';
import { h } from '../dom';
import { t, tv } from '../i18n';
import { page } from '../layout';
import { homeOf } from '../session';

const roleText = (u: StaffUser) =>
  u.grants.map((g) => `${tv('role', g.role)}${g.post ? ` (${g.post})` : ''}`).join(', ');

/** On AWS (config.json): Cognito's hosted UI; on the local stack: the demo people. */
export async function signInPage(): Promise<void> {
  page(t('signIn'), h('p', {}, t('loading')));
  const config = await appConfig();
  if (config.mode === 'cognito') return cognitoSignIn(config);
  const { items } = await getJson<{ items: StaffUser[] }>('/app/local/staff');
  page(
    t('signIn'),
    h('p', {}, t('signInIntro')),
    h(
      'ul',
      { class: 'people' },
      items.map((u) =>
        h(
          'li',
          {},
          h(
            'button',
            {
              type: 'button',
              'data-user': u.id,
              onclick: async () => {
                const s = await signIn(u.id);
                location.hash = homeOf(s);
              },
            },
            h('strong', {}, u.name),
            ' — ',
            roleText(u),
          ),
        ),
      ),
    ),
  );
}

/**
 * The hosted UI's answer comes back to /app/?code=...&state=...: exchanged, then the
 * person's home page. Otherwise one button to the hosted UI (not an automatic jump:
 * after signing out, the page says where it leads before it goes).
 */
async function cognitoSignIn(config: CognitoConfig): Promise<void> {
  const search = new URLSearchParams(location.search);
  if (isSignInAnswer(search)) {
    page(t('signIn'), h('p', {}, t('signingIn')));
    location.hash = homeOf(await finishSignIn(config, search));
    return;
  }
  page(
    t('signIn'),
    h('p', {}, t('signInCognitoIntro')),
    h('button', { type: 'button', onclick: () => void startSignIn(config) }, t('signInContinue')),
  );
}
