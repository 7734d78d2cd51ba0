/* Lists on the projector that are longer than the screen show one page at a time.
   Planverksted.Pager(list): layout() measures which items fit together; next() turns the page.
   Items of other pages get the hidden attribute, so nothing ever overflows and no scrollbar
   appears. With prefers-reduced-motion the page changes without any animation. */
(function () {
  "use strict";
  var P = window.Planverksted;
  if (!P) return;
  var reduced = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : null;

  function Pager(list) {
    this.list = list;
    this.pages = [];
    this.index = 0;
  }

  Pager.prototype.items = function () {
    return Array.prototype.slice.call(this.list.children);
  };

  /* Split the items into pages that fit the list's box. keep: stay on the same page number. */
  Pager.prototype.layout = function (keep) {
    var list = this.list;
    var items = this.items();
    items.forEach(function (item) { item.hidden = false; });
    var height = list.clientHeight;
    if (!items.length || !height) {
      this.pages = items.length ? [items] : [];
      this.index = 0;
      return;
    }
    var pages = [];
    var current = [];
    var top = null;
    items.forEach(function (item) {
      var box = item.getBoundingClientRect();
      if (top === null) top = box.top;
      if (current.length && box.bottom - top > height + 1) {
        pages.push(current);
        current = [];
        top = box.top;
      }
      current.push(item);
    });
    if (current.length) pages.push(current);
    this.pages = pages;
    if (!keep || this.index >= pages.length) this.index = 0;
    this.show(false);
  };

  Pager.prototype.show = function (animate) {
    var visible = this.pages[this.index] || [];
    this.items().forEach(function (item) {
      item.hidden = visible.indexOf(item) < 0;
      item.classList.toggle("page-first", item === visible[0]);
    });
    var list = this.list;
    list.classList.remove("page-enter");
    if (animate && !(reduced && reduced.matches)) {
      void list.offsetWidth; // restart the animation
      list.classList.add("page-enter");
    }
  };

  Pager.prototype.first = function () {
    if (this.index === 0) return;
    this.index = 0;
    this.show(true);
  };

  /* Turn to the next page (round). Returns false when there is only one page. */
  Pager.prototype.next = function () {
    if (this.pages.length < 2) return false;
    this.index = (this.index + 1) % this.pages.length;
    this.show(true);
    return true;
  };

  Pager.prototype.count = function () { return this.pages.length; };

  /* The ids (data-id) on the page shown now. */
  Pager.prototype.shownIds = function () {
    return (this.pages[this.index] || []).map(function (item) { return item.getAttribute("data-id"); });
  };

  P.Pager = Pager;
})();
