import { Box, Text } from 'ink';
import type { AuditView } from '../../core/index.js';
import { actorTypeText, localTime } from '../../staff-text/format.js';
import type { Translate } from '../i18n.js';

interface Props {
  width: number;
  height: number;
  userId: string;
  events: AuditView[] | null;
  offset: number;
  tr: Translate;
}

/** The member's audit trail, newest first, scrolled with the arrow keys. */
export function AuditScreen({ width, height, userId, events, offset, tr }: Props) {
  const rows = Math.max(1, height - 3);
  const list = events ?? [];
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="single" paddingX={1} overflow="hidden">
      <Text bold wrap="truncate-end">
        {tr('tui.audit.title', { userId })} {list.length ? `(${Math.min(offset + 1, list.length)}-${Math.min(offset + rows, list.length)}/${list.length})` : ''}
      </Text>
      {events !== null && list.length === 0 ? <Text dimColor>{tr('audit.none')}</Text> : null}
      {list.slice(offset, offset + rows).map((e) => (
        <Text key={e.id} wrap="truncate-end" color={e.outcome === 'failure' ? 'red' : undefined}>
          {localTime(e.at)} {e.action} {e.outcome === 'failure' ? '✗' : ''} {actorTypeText(tr.lang, e.actorType)}:{e.actor}
          {e.ip ? ` ${e.ip}` : ''}
        </Text>
      ))}
    </Box>
  );
}
