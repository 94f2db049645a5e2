import { ApiError, onExpiredToken, saveSession, session } from './api';
import { refreshSession } from './auth';
import { appConfig } from './config';
import { lang, t } from './i18n';
import { errorBox, header, page } from './layout';
import { broadcastPage } from './pages/broadcast';
import { composePage } from './pages/compose';
import { contentPage } from './pages/content';
import { crisisPage } from './pages/crisis';
import { editionPage } from './pages/edition';
import { editionsPage } from './pages/editions';
import { reportsPage } from './pages/reports';
import { reviewPage } from './pages/review';
import { signInPage } from './pages/sign-in';
import { homeOf } from './session';
import './style.css';

/** The router: the hash names the page (`#/reports?kind=post`); each page is a module in pages/. */
async function render(): Promise<void> {
  document.documentElement.lang = lang();
  const [path = '', query = ''] = location.hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean);
  const s = session();
  header(() => void render());
  try {
    if (!s || parts[0] === 'sign-in' || parts.length === 0) {
      if (s && parts.length === 0) {
        location.hash = homeOf(s);
        return;
      }
      return await signInPage();
    }
    switch (parts[0]) {
      case 'editions':
        return await editionsPage(s);
      case 'compose':
        return await composePage(s, parts[1] ?? 'new');
      case 'edition':
        return await editionPage(s, parts[1] ?? '', new URLSearchParams(query).get('post') ?? undefined);
      case 'review':
        return await reviewPage(s);
      case 'reports':
        return await reportsPage(s, new URLSearchParams(query));
      case 'crisis':
        return await crisisPage();
      case 'content':
        return await contentPage();
      case 'broadcast':
        return await broadcastPage(s, parts[1]);
      default:
        location.hash = homeOf(s);
    }
  } catch (err) {
    // An expired or refused token: back to sign-in.
    if (err instanceof ApiError && err.status === 401) {
      saveSession(undefined);
      location.hash = '#/sign-in';
      return;
    }
    page(t('error'), errorBox(err));
  }
}

// On AWS an access token lasts an hour: the refresh token renews it (locally a token lasts the day).
onExpiredToken(async (expired) => {
  const config = await appConfig();
  return config.mode === 'cognito' ? refreshSession(config, expired) : undefined;
});
window.addEventListener('hashchange', () => void render());
void render();
