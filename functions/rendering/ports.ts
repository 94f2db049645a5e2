/** An MJML layout registered by headquarters (Handlebars + MJML, like templates/layouts/). */
export interface Layout {
  readonly name: string;
  readonly source: string;
  readonly registeredBy: string;
  readonly at: string;
}

export interface LayoutRepository {
  get(name: string): Promise<Layout | undefined>;
  put(layout: Layout): Promise<void>;
  list(): Promise<Pick<Layout, 'name' | 'registeredBy' | 'at'>[]>;
}
