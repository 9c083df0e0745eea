"""What a browser test checks on every page it opens (``page.evaluate(LAYOUT_PROBLEMS)``):
nothing runs off the side, no text is too small to read, no chart's names print over
each other, every button's text stands out from its background."""

SMALLEST_TEXT_PX = 11

LAYOUT_PROBLEMS = """() => {
  const problems = [];
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth > width) {
    problems.push(`the page is ${document.documentElement.scrollWidth} px wide`);
  }
  const shown = (el) => el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true});
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.trim();
    const el = node.parentElement;
    if (!text || !el || el.closest("title, script, style, select, textarea, .skip") || !shown(el)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
    if (!rects.length) continue;
    let size = parseFloat(getComputedStyle(el).fontSize);
    if (el instanceof SVGElement) {
      const m = el.getScreenCTM();
      size *= Math.hypot(m.a, m.b);  // an SVG drawn smaller than its viewBox shrinks its text
    }
    if (size < SMALLEST) problems.push(`${size.toFixed(1)} px text: ${text.slice(0, 40)}`);
    if (rects.some((r) => r.left < -1 || r.right > width + 1)) {
      problems.push(`text off the screen sideways: ${text.slice(0, 40)}`);
    }
  }
  for (const el of document.querySelectorAll("body *")) {
    if (el.matches("textarea, input, select") || !shown(el)) continue;
    const overflow = getComputedStyle(el).overflowX;
    if (["auto", "scroll", "hidden"].includes(overflow) && el.scrollWidth > el.clientWidth + 1) {
      const hidden = el.scrollWidth - el.clientWidth;
      problems.push(`<${el.tagName.toLowerCase()} class="${el.className}"> hides ${hidden} px sideways`);
    }
  }
  for (const svg of document.querySelectorAll("svg")) {
    const box = svg.getBoundingClientRect();
    const names = [...svg.querySelectorAll("text")].filter(shown)
      .map((t) => [t.textContent.trim(), t.getBoundingClientRect()]).filter(([, r]) => r.width > 0);
    names.forEach(([text, r], i) => {
      const inside = r.left >= box.left - 1 && r.right <= box.right + 1;
      if (!inside || r.top < box.top - 1 || r.bottom > box.bottom + 1) {
        problems.push(`chart text cut off: ${text}`);
      }
      for (const [other, s] of names.slice(i + 1)) {
        if (r.left < s.right - 1 && s.left < r.right - 1 && r.top < s.bottom - 1 && s.top < r.bottom - 1) {
          problems.push(`chart text printed over each other: "${text}" and "${other}"`);
        }
      }
    });
  }
  // A checkbox sits right beside its words.
  for (const box of document.querySelectorAll("label input[type=checkbox]")) {
    if (!shown(box)) continue;
    const range = document.createRange();
    range.selectNodeContents(box.closest("label"));
    range.setStartAfter(box);
    const words = [...range.getClientRects()].filter((r) => r.width > 1);
    const mark = box.getBoundingClientRect();  // a stretched checkbox is drawn in the middle of its box
    const gap = Math.min(...words.map((r) => r.left)) - (mark.left + mark.width / 2 + mark.height / 2);
    if (gap > 16) problems.push(`a checkbox is ${Math.round(gap)} px from its label`);
  }
  // Buttons can be seen: their text stands out from what is behind them.
  const luminance = (color) => {
    const [r, g, b] = color.match(/[\\d.]+/g).slice(0, 3).map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const behind = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const bg = getComputedStyle(e).backgroundColor;
      const alpha = bg.match(/[\\d.]+/g)[3];
      if (alpha === undefined || parseFloat(alpha) > 0.5) return bg;
    }
    return "rgb(255, 255, 255)";
  };
  for (const button of document.querySelectorAll("button, a.button")) {
    if (!shown(button) || !button.textContent.trim()) continue;
    const [a, b] = [luminance(getComputedStyle(button).color), luminance(behind(button))];
    const contrast = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const name = button.textContent.trim();
    if (contrast < 4.5) problems.push(`button "${name}" has contrast ${contrast.toFixed(1)}`);
  }
  return problems;
}""".replace("SMALLEST", str(SMALLEST_TEXT_PX))
