// HMM Explorer embeds: sizes each <iframe data-hmm-explorer> to its content's height, which the
// embed posts as {type: 'hmm-explorer:size', height}. Optional: put the page's theme in
// <html data-theme="light|dark"> and the embeds follow it. See docs/embedding.md.
addEventListener('message', (e) => {
  const d = e.data;
  if (!d || d.type !== 'hmm-explorer:size' || typeof d.height !== 'number') return;
  for (const f of document.querySelectorAll('iframe[data-hmm-explorer]')) {
    if (f.contentWindow !== e.source) continue;
    f.style.height = `${Math.ceil(d.height)}px`;
    const theme = document.documentElement.dataset.theme;
    if (theme) f.contentWindow.postMessage({ type: 'hmm-explorer:theme', theme }, '*');
  }
});
