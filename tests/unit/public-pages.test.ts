import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorField, pageStyles, renderPage } from '../../functions/http/pages';

const TEMPLATES = join(import.meta.dirname, '..', '..', 'templates');
const STYLES = pageStyles(TEMPLATES);

const styleOf = (html: string) => /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';

describe("the subscribers' pages", () => {
  it('inline the stylesheet the web app imports, allowed by its hash and nothing else', () => {
    expect(STYLES).toContain(':focus-visible');
    const page = renderPage(STYLES, 200, {
      title: 'Unsubscribe',
      paragraphs: ['Do you want to stop?'],
      post: { name: 'Embassy', colour: '#7a1f2b', logo: 'https://example.org/logo.png' },
      forms: [{ action: '/unsubscribe?token=t', button: 'Unsubscribe' }],
    });
    const body = String(page.body);
    const css = styleOf(body);
    expect(css.startsWith(STYLES)).toBe(true);
    expect(css).toContain('--post-colour:#7a1f2b');
    const hash = createHash('sha256').update(css).digest('base64');
    const csp = String(page.headers?.['content-security-policy']);
    expect(csp).toContain(`style-src 'sha256-${hash}'`);
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain('img-src https: http:');
    expect(body).not.toMatch(/<script|style="/i);
    // The only button is the main one.
    expect(body).toContain('<button type="submit" class="primary">Unsubscribe</button>');
  });

  it("puts a field's error next to it, in a summary linking to it, and in the title", () => {
    const page = renderPage(STYLES, 400, {
      lang: 'fr',
      title: "S'abonner",
      paragraphs: [],
      errorsTitle: 'Il y a un problème',
      editor: {
        action: '/posts/tokyo/subscribe',
        button: "S'abonner",
        fields: [
          {
            name: 'audiences',
            kind: 'checkboxes',
            label: "Lettres d'information",
            options: [{ value: 'economic', label: 'Commerce', checked: false }],
            error: 'Choisissez au moins une lettre',
          },
          { name: 'email', kind: 'email', label: 'Adresse e-mail', value: '"><b>x', required: true },
        ],
      },
    });
    const body = String(page.body);
    expect(body).toContain('<title>Il y a un problème: S&#x27;abonner</title>');
    expect(body).toContain('<li><a href="#field-audiences-0">Choisissez au moins une lettre</a></li>');
    expect(body).toContain('<fieldset id="field-audiences" aria-describedby="field-audiences-error">');
    expect(body).toMatch(/id="field-audiences-0" name="audiences" value="economic" aria-invalid="true"/);
    // What the person typed comes back as text, never as markup; a field without error is not marked.
    expect(body).toContain('value="&quot;&gt;&lt;b&gt;x"');
    expect(body).not.toMatch(/id="field-email"[^>]*aria-invalid/);
  });

  it('finds the field a one-line domain error names', () => {
    const fields = { email: 'email', audiences: 'audience', postLanguage: 'postLanguage' };
    expect(errorField('email: not a valid address', fields)).toBe('email');
    expect(errorField('subscribe: audiences.0: Invalid input', fields)).toBe('audience');
    expect(errorField('preferences: postLanguage "de" is not a language of X', fields)).toBe('postLanguage');
    expect(errorField('preferences: something else', fields)).toBeUndefined();
    // A name of the prototype is no field.
    expect(errorField('constructor: x', fields)).toBeUndefined();
  });
});
