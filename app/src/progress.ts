import { getJson, type SendProgress } from './api';
import { h } from './dom';
import { t, tv } from './i18n';
import { errorBox, statusBadge } from './layout';

/** A send's progress, polled every second into `out` until the edition is sent (or `out` leaves the page). */
export function watchProgress(code: string, id: string, out: HTMLElement): void {
  const tick = async () => {
    if (!out.isConnected) return;
    try {
      const p = await getJson<{ status: string; progress: SendProgress }>(
        `/posts/${code}/editions/${id}/progress`,
      );
      const n = p.progress;
      out.replaceChildren(
        ...(
          [
            [t('status'), tv('status', p.status)],
            [t('queued'), n.queued],
            [t('sentCount'), n.sent],
            [t('skipped'), n.skipped],
            [t('failed'), n.failed],
            [t('sentOnce'), n.overlaps + n.duplicates],
          ] as const
        ).flatMap(([k, v]) => [h('dt', {}, k), h('dd', { 'data-figure': k }, String(v))]),
      );
      // Sent: the status machine says so once every queued recipient's record is settled.
      const done = p.status === 'sent';
      document.querySelector('#edition-status .badge')?.replaceWith(statusBadge(p.status));
      out.dataset.done = String(done);
      if (!done) window.setTimeout(tick, 1000);
    } catch (err) {
      out.replaceChildren(errorBox(err));
    }
  };
  void tick();
}
