// Tables read as cards on a phone (static/css/site.css, below 576 px): each row a card, each cell
// a line under the name of its column. Here every table of the page's main part gets the class
// and each cell its column's name (data-label) from the table's last header row, unless the
// server wrote it already; a table without a header has its cells stacked, unnamed. A table
// marked .no-cards is left as it is; a row header (th scope=row) is the card's title, unnamed.
(function () {
  "use strict";
  document.querySelectorAll("main table:not(.no-cards)").forEach(function (table) {
    var head = table.tHead;
    table.classList.add("cards");
    if (!head || !head.rows.length) {
      return; // a table without a header: its cells are stacked, unnamed
    }
    var labels = [];
    Array.prototype.forEach.call(head.rows[head.rows.length - 1].cells, function (cell) {
      for (var n = 0; n < (cell.colSpan || 1); n += 1) {
        labels.push(cell.textContent.replace(/\s+/g, " ").trim());
      }
    });
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          var rowHeader = cell.tagName === "TH" && cell.getAttribute("scope") === "row";
          if (!rowHeader && cell.colSpan === 1 && labels[column] && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", labels[column]);
          }
          column += cell.colSpan || 1;
        });
      });
    });
  });
})();
