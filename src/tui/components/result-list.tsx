import { Box, Text } from 'ink';
import type { MemberSummary } from '../services.js';
import type { Translate } from '../i18n.js';

interface Props {
  results: MemberSummary[];
  selected: number;
  query: string;
  active: boolean;
  width: number;
  height: number;
  tr: Translate;
}

/** The search results, scrolled so the selected member stays in view. */
export function ResultList({ results, selected, query, active, width, height, tr }: Props) {
  const rows = Math.max(1, height - 2);
  const start = Math.max(0, Math.min(selected - Math.floor(rows / 2), results.length - rows));
  const visible = results.slice(start, start + rows);
  return (
    <Box width={width} height={height} borderStyle="single" borderColor={active ? 'cyan' : 'gray'} flexDirection="column" overflow="hidden">
      {query.trim() === '' ? (
        <Text dimColor wrap="wrap">
          {tr('tui.typeToSearch')}
        </Text>
      ) : results.length === 0 ? (
        <Text dimColor wrap="truncate-end">
          {tr('tui.noResults')}
        </Text>
      ) : (
        visible.map((m, i) => {
          const isSel = start + i === selected;
          return (
            <Text key={m.userId} inverse={isSel && active} bold={isSel} wrap="truncate-end">
              {isSel ? '>' : ' '}
              {m.userId} {m.name}
              {m.status === 'disabled' ? ' ×' : ''}
            </Text>
          );
        })
      )}
    </Box>
  );
}
