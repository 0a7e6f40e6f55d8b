/* global document */
// Progressive enhancement only: every page works without this file.
// Focus the main content after an htmx swap that replaced it, so keyboard and screen-reader users follow along.
document.addEventListener('htmx:afterSwap', (event) => {
  const target = event.detail && event.detail.target;
  if (target && target.id === 'contenu') target.focus();
});

// A file input with data-fills="<textarea id>" copies the chosen text file into that textarea (the form posts text).
document.querySelectorAll('input[type="file"][data-fills]').forEach((input) => {
  input.addEventListener('change', () => {
    const file = input.files && input.files[0];
    const target = document.getElementById(input.dataset.fills);
    if (file && target) file.text().then((text) => (target.value = text));
  });
});
