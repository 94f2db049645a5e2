/**
 * The format of stored renders (render/render-variant.ts): a stored render of an older
 * format is rendered again. 2: '%' in typed text set apart so it cannot spell a placeholder.
 */
export const RENDER_FORMAT = 2;
