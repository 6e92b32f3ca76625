import { Box, Text } from 'ink';
import type { MemberDetail } from '../../core/index.js';
import type { MemberSummary } from '../services.js';
import type { Translate } from '../i18n.js';
import type { Focus, Modal } from '../state.js';
import { ResultList } from '../components/result-list.js';
import { DetailPane } from '../components/detail-pane.js';
import { ModalView } from '../components/modal-view.js';

interface Props {
  width: number;
  height: number;
  query: string;
  searching: boolean;
  results: MemberSummary[];
  selected: number;
  detail: MemberDetail | null;
  focus: Focus;
  modal: Modal | null;
  tr: Translate;
}

/** Search box, results on the left, the selected member (or a dialog) on the right. */
export function MainScreen({ width, height, query, searching, results, selected, detail, focus, modal, tr }: Props) {
  const listWidth = Math.max(24, Math.floor(width * 0.38));
  const paneHeight = Math.max(6, height - 1);
  const status = searching ? tr('tui.searching') : query.trim() ? tr('tui.results', { count: results.length }) : '';
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate-end">
        <Text bold={focus === 'search'}>{tr('tui.search')}: </Text>
        <Text>{query}</Text>
        {focus === 'search' && !modal ? <Text inverse> </Text> : null}
        <Text dimColor> {status}</Text>
      </Text>
      <Box height={paneHeight}>
        <ResultList results={results} selected={selected} query={query} active={focus === 'search'} width={listWidth} height={paneHeight} tr={tr} />
        <Box width={width - listWidth} height={paneHeight} borderStyle="single" borderColor={focus === 'detail' ? 'cyan' : 'gray'} flexDirection="column" overflow="hidden" paddingX={1}>
          {detail && modal ? <ModalView modal={modal} detail={detail} tr={tr} /> : detail ? <DetailPane detail={detail} tr={tr} maxDevices={paneHeight - 13} /> : null}
        </Box>
      </Box>
    </Box>
  );
}
