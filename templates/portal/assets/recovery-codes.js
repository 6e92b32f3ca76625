// KOSMO member portal: the new recovery codes (issue 13). Loaded with the page's CSP nonce.
// Without JavaScript the codes are plain, selectable text and the browser's own print works.
// With it: `印刷する` opens the print dialog; `コピー` copies the ten codes, one per line.
(function () {
  'use strict';
  var actions = document.querySelector('.recovery-actions');
  var print = document.getElementById('recovery-print');
  var copy = document.getElementById('recovery-copy');
  var status = document.getElementById('recovery-copy-status');
  if (!actions || !print || !copy || !status) return;
  actions.hidden = false;
  print.addEventListener('click', function () {
    window.print();
  });
  if (!navigator.clipboard || !navigator.clipboard.writeText) {
    copy.hidden = true;
    return;
  }
  copy.addEventListener('click', function () {
    status.textContent = '';
    navigator.clipboard.writeText(copy.getAttribute('data-codes') || '').then(
      function () {
        status.textContent = 'リカバリーコードをコピーしました。';
      },
      function () {
        status.textContent = 'コピーできませんでした。コードを選択してコピーしてください。';
      },
    );
  });
})();
