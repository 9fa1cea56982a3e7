// A visible count of characters under every text area that has a limit (the server enforces the same
// limit): "120 / 5000". The words come from the page's language (data-counter on <html>).
document.querySelectorAll("textarea[maxlength]").forEach((area) => {
  const limit = Number(area.getAttribute("maxlength"));
  const words = document.documentElement.dataset.counter || "characters";
  const counter = document.createElement("div");
  counter.className = "form-text text-end";
  counter.id = `${area.id || area.name}-count`;
  const update = () => {
    counter.textContent = `${area.value.length} / ${limit} ${words}`;
  };
  const described = area.getAttribute("aria-describedby");
  area.setAttribute("aria-describedby", described ? `${described} ${counter.id}` : counter.id);
  area.insertAdjacentElement("afterend", counter);
  area.addEventListener("input", update);
  update();
});
