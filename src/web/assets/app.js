/* global document */
// Progressive enhancement only: every page works without this file.
// Focus the main content after an htmx swap that replaced it, so keyboard and screen-reader users follow along.
document.addEventListener('htmx:afterSwap', (event) => {
  const target = event.detail && event.detail.target;
  if (target && target.id === 'contenu') target.focus();
});
