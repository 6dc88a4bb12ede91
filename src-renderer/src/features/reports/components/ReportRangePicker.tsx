import { Group, SegmentedControl, TextInput } from '@mantine/core';
import { REPORTS } from '../report-kinds';
import { PRESET_LABELS, presetRange, presetsFor, type RangePreset, type ReportQuery } from '../report-range';

interface ReportRangePickerProps {
  query: ReportQuery;
  today: string;
  onChange: (next: ReportQuery) => void;
  error: string | null;
}

/** The range of a report: a preset, or two dates; AR aging takes one day. */
export function ReportRangePicker({ query, today, onChange, error }: ReportRangePickerProps) {
  const mode = REPORTS[query.kind].mode;
  if (mode === 'as-of') {
    return (
      <TextInput
        type="date"
        label="As of"
        title="The invoices unpaid at the end of this day"
        value={query.to ?? today}
        max={today}
        onChange={(e) => onChange({ ...query, to: e.currentTarget.value || today })}
        w={200}
      />
    );
  }
  const presets = presetsFor(mode);
  const pick = (preset: RangePreset) =>
    onChange(preset === 'custom' ? { ...query, preset, from: query.from ?? `${today.slice(0, 7)}-01`, to: query.to ?? today } : { kind: query.kind, preset, ...presetRange(preset, today) });
  return (
    <Group gap="sm" align="flex-end" wrap="wrap">
      <div>
        <SegmentedControl aria-label="Date range" value={query.preset ?? 'custom'} onChange={(v) => pick(v as RangePreset)} data={presets.map((p) => ({ value: p, label: PRESET_LABELS[p] }))} />
      </div>
      {query.preset === 'custom' && (
        <>
          <TextInput type="date" label="From" size="sm" value={query.from ?? ''} onChange={(e) => onChange({ ...query, from: e.currentTarget.value || undefined })} w={160} />
          <TextInput
            type="date"
            label="To"
            size="sm"
            value={query.to ?? ''}
            onChange={(e) => onChange({ ...query, to: e.currentTarget.value || undefined })}
            w={160}
            error={error}
          />
        </>
      )}
    </Group>
  );
}
