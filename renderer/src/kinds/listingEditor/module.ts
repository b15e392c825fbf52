import type { ScreenModule } from '../registry';
import { EditorScreen } from './EditorScreen';
import { editorT } from './text';

/**
 * `#/listings`, `#/listings/new`, `#/listings/{id}/edit`: the listing editor (issue 11). For ops
 * assistants entering paper dossiers, and for submitters and collaborators of an institution;
 * the server decides who may create, edit and submit (`server/src/listings/service.ts`).
 */
export const listingEditorScreen: ScreenModule = {
  id: 'listings',
  navLabel: (t) => editorT(t)('listingEditor.nav'),
  roles: ['assistant', 'submitter', 'collaborator'],
  order: 5,
  Screen: EditorScreen,
};
