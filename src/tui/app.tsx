import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Box, Text, useApp, useInput, useWindowSize } from 'ink';
import type { Lang } from '../staff-text/lang.js';
import type { MemberDetail, TermsSummary, AuditView } from '../core/index.js';
import type { MemberSummary, TuiServices } from './services.js';
import { kosmoErrorText, translator } from './i18n.js';
import type { Focus, Message, Modal, Screen } from './state.js';
import { handleKey } from './keys.js';
import { HelpBar } from './components/help-bar.js';
import { MainScreen } from './screens/main-screen.js';
import { TermsScreen } from './screens/terms-screen.js';
import { AuditScreen } from './screens/audit-screen.js';

export interface AppProps {
  services: TuiServices;
  lang: Lang;
  /** Wait this long after the last key before searching (default 150 ms). */
  debounceMs?: number;
  /** Members fetched per search (the database does the search, with this limit). */
  searchLimit?: number;
}

/**
 * `kosmo tui` (SCREENS.md §3): search as you type, results, the member's detail, the support
 * actions (destructive ones confirmed by typing the user ID), terms and the audit trail. Every
 * change goes through a core service; keyboard help is always on screen; fits 80×24.
 */
export function App({ services, lang, debounceMs = 150, searchLimit = 50 }: AppProps) {
  const tr = useMemo(() => translator(lang), [lang]);
  const { exit } = useApp();
  const size = useWindowSize();
  const width = Math.max(60, size.columns);
  const height = Math.max(16, size.rows);

  const [screen, setScreen] = useState<Screen>('main');
  const [focus, setFocus] = useState<Focus>('search');
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<MemberSummary[]>([]);
  const [searching, setSearching] = useState(false);
  const [selected, setSelected] = useState(0);
  const [detail, setDetail] = useState<MemberDetail | null>(null);
  const [modal, setModal] = useState<Modal | null>(null);
  const [message, setMessage] = useState<Message | null>(null);
  const [busy, setBusy] = useState(false);
  const [terms, setTerms] = useState<{ versions: TermsSummary[] | null; pending: { version: number | null; total: number } | null }>({ versions: null, pending: null });
  const [audit, setAudit] = useState<{ userId: string; events: AuditView[] | null; offset: number }>({ userId: '', events: null, offset: 0 });
  const [version, setVersion] = useState(0);
  const searchSeq = useRef(0);
  const selectedUserId = useRef<string | null>(null);

  const showError = useCallback(
    (err: unknown) => {
      const text = kosmoErrorText(lang, err) ?? tr('tui.unexpected', { log: services.logError(err) });
      setMessage({ kind: 'error', text });
    },
    [lang, services, tr],
  );

  // Search as you type: debounced, in the database, with a limit; a late answer never replaces a newer one.
  useEffect(() => {
    const q = query.trim();
    const seq = ++searchSeq.current;
    if (q === '') {
      setResults([]);
      setSearching(false);
      return;
    }
    setSearching(true);
    const timer = setTimeout(() => {
      services
        .search(q, searchLimit)
        .then((rows) => {
          if (seq !== searchSeq.current) return;
          setResults(rows);
          const keep = rows.findIndex((r) => r.userId === selectedUserId.current);
          setSelected(keep >= 0 ? keep : 0);
        })
        .catch(showError)
        .finally(() => {
          if (seq === searchSeq.current) setSearching(false);
        });
    }, debounceMs);
    return () => clearTimeout(timer);
  }, [query, version, services, searchLimit, debounceMs, showError]);

  const current = results[selected] ?? null;
  selectedUserId.current = current?.userId ?? selectedUserId.current;
  useEffect(() => {
    if (!current) {
      setDetail(null);
      return;
    }
    let live = true;
    services
      .show(current.userId)
      .then((d) => live && setDetail(d))
      .catch((e) => live && showError(e));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed on the user ID on purpose: a new search result object for the same member must not reload the detail
  }, [current?.userId, version, services, showError]);

  /** Runs a core call; the result message, a refresh of list and detail, errors as a banner. */
  const run = useCallback(
    async (fn: () => Promise<string | void>) => {
      setBusy(true);
      try {
        const text = await fn();
        if (text) setMessage({ kind: 'info', text });
        setVersion((v) => v + 1);
      } catch (e) {
        showError(e);
      } finally {
        setBusy(false);
      }
    },
    [showError],
  );

  const openTerms = useCallback(() => {
    setScreen('terms');
    void run(async () => {
      const [versions, pending] = await Promise.all([services.listTerms(), services.pendingTerms()]);
      setTerms({ versions, pending });
    });
  }, [run, services]);

  const openAudit = useCallback(
    (userId: string) => {
      setScreen('audit');
      setAudit({ userId, events: null, offset: 0 });
      void run(async () => {
        const events = await services.audit(userId, 200);
        setAudit({ userId, events, offset: 0 });
      });
    },
    [run, services],
  );

  useInput((input, key) => {
    if (key.ctrl && input === 'c') return exit();
    handleKey(input, key, {
      tr,
      services,
      busy,
      screen,
      focus,
      query,
      results,
      selected,
      detail,
      modal,
      audit,
      rows: height,
      setScreen,
      setFocus,
      setQuery,
      setSelected,
      setModal,
      setMessage,
      setAudit,
      run,
      openTerms,
      openAudit,
    });
  });

  const help = helpLines(tr, screen, focus, modal);
  const bodyHeight = height - 5; // title, message and two help lines; one row spare so the terminal never scrolls
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate-end">
        {tr('tui.title', { society: services.societyName })}
      </Text>
      {screen === 'main' ? (
        <MainScreen width={width} height={bodyHeight} query={query} searching={searching} results={results} selected={selected} detail={detail} focus={focus} modal={modal} tr={tr} />
      ) : screen === 'terms' ? (
        <TermsScreen width={width} height={bodyHeight} versions={terms.versions} pending={terms.pending} modal={modal} tr={tr} />
      ) : (
        <AuditScreen width={width} height={bodyHeight} userId={audit.userId} events={audit.events} offset={audit.offset} tr={tr} />
      )}
      <Text color={message?.kind === 'error' ? 'red' : 'green'} wrap="truncate-end">
        {message?.text ?? ' '}
      </Text>
      <HelpBar lines={help} width={width} />
    </Box>
  );
}

function helpLines(tr: ReturnType<typeof translator>, screen: Screen, focus: Focus, modal: Modal | null): string[] {
  if (modal) {
    const key = { confirm: 'tui.help.confirm', pick: 'tui.help.pick', rename: 'tui.help.rename', secret: 'tui.help.secret', publish: 'tui.help.publish' }[modal.kind];
    return [tr(key)];
  }
  if (screen === 'terms') return [tr('tui.help.terms')];
  if (screen === 'audit') return [tr('tui.help.audit')];
  return focus === 'search' ? [tr('tui.help.search')] : [tr('tui.help.detail1'), tr('tui.help.detail2')];
}
