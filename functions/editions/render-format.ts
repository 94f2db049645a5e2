/**
 * The format of stored renders (render/render-variant.ts): a stored render of an older
 * format is rendered again. 2: '%' in typed text set apart so it cannot spell a placeholder;
 * 3: the preheader hidden without white or 1px text (spam filters score those);
 * 4: the open pixel (%%OPEN_URL%%) and the story of each link (linkItems);
 * 5: post and audience names and the heading in the variant's language.
 */
export const RENDER_FORMAT = 5;
