import { Box, Text } from 'ink';

/** Keyboard help, always on screen: two lines, so the layout does not jump between modes. */
export function HelpBar({ lines, width }: { lines: string[]; width: number }) {
  return (
    <Box flexDirection="column" width={width}>
      {[lines[0] ?? '', lines[1] ?? ''].map((l, i) => (
        <Text key={i} color="cyan" wrap="truncate-end">
          {l || ' '}
        </Text>
      ))}
    </Box>
  );
}
