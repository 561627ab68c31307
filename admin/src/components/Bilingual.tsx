// A bilingual field ({en, de}) edited side by side: English on the left (required where the API requires it),
// German on the right, marked "not translated" while it is empty and the English is not (the site then shows
// the English to German readers).
import { Box, Chip } from '@mui/material';
import { darken } from '@mui/material/styles';
import { TextInput, useTranslate, type Validator } from 'react-admin';
import { useWatch } from 'react-hook-form';

export function BilingualInput({
  source,
  label,
  required = false,
  multiline = false,
  maxLength,
  validate,
}: {
  source: string;
  label: string;
  required?: boolean;
  multiline?: boolean;
  maxLength?: number;
  validate?: Validator[];
}) {
  const translate = useTranslate();
  const en = useWatch({ name: `${source}.en` }) as unknown;
  const de = useWatch({ name: `${source}.de` }) as unknown;
  const untranslated =
    typeof en === 'string' && en.trim() !== '' && (typeof de !== 'string' || de.trim() === '');
  const common = {
    fullWidth: true,
    multiline,
    ...(multiline ? { minRows: 3 } : {}),
    ...(maxLength ? { inputProps: { maxLength } } : {}),
  };
  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, gap: 2, width: '100%' }}>
      <TextInput
        source={`${source}.en`}
        label={`${label} (${translate('magnetiq.language.en')})`}
        isRequired={required}
        validate={validate}
        {...common}
      />
      <Box sx={{ position: 'relative' }}>
        <TextInput
          source={`${source}.de`}
          label={`${label} (${translate('magnetiq.language.de')})`}
          helperText={untranslated ? translate('magnetiq.bilingual.untranslated_help') : false}
          {...common}
        />
        {untranslated && (
          <Chip
            label={translate('magnetiq.bilingual.untranslated')}
            size="small"
            color="warning"
            // White on the theme's warning orange is 3:1; a darker orange passes WCAG AA (about 5.7:1).
            sx={{
              position: 'absolute',
              top: 4,
              right: 4,
              bgcolor: (theme) => darken(theme.palette.warning.main, 0.3),
            }}
          />
        )}
      </Box>
    </Box>
  );
}
