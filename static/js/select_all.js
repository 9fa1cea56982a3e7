// "Tick every entry on this page" for the lists acted on in bulk: a checkbox with data-select-all="NAME" ticks
// or clears every checkbox named NAME in its form, and shows a mixed state when only some are ticked. It is
// hidden (in its [data-select-all-box]) until this script runs: without script the boxes are ticked one by
// one. The server decides on each entry either way.
document.querySelectorAll("input[data-select-all]").forEach((master) => {
  const boxes = () => master.form.querySelectorAll(`input[type=checkbox][name="${master.dataset.selectAll}"]`);
  const sync = () => {
    const ticked = [...boxes()].filter((box) => box.checked).length;
    master.checked = ticked > 0 && ticked === boxes().length;
    master.indeterminate = ticked > 0 && ticked < boxes().length;
  };
  const box = master.closest("[data-select-all-box]");
  if (box) box.hidden = false;
  master.addEventListener("change", () => {
    boxes().forEach((box) => {
      box.checked = master.checked;
    });
    sync();
  });
  boxes().forEach((box) => box.addEventListener("change", sync));
  sync();
});
