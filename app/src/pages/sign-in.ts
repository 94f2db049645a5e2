import { getJson, type StaffUser, signIn } from '../api';
import { h } from '../dom';
import { t, tv } from '../i18n';
import { page } from '../layout';
import { homeOf } from '../session';

const roleText = (u: StaffUser) =>
  u.grants.map((g) => `${tv('role', g.role)}${g.post ? ` (${g.post})` : ''}`).join(', ');

export async function signInPage(): Promise<void> {
  page(t('signIn'), h('p', {}, t('loading')));
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
