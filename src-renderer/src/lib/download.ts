/** Starts a browser download of a same-origin URL (the browser host's one-time export link). */
export function startDownload(url: string, fileName = ''): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
}

/** Offers text the page made itself (a template, a list of problems) as a file. */
export function downloadText(text: string, fileName: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  startDownload(url, fileName);
  // The click has started the download by the next task; the object URL can go.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
