/**
 * The pieces of kubectl's edit loop (staging/src/k8s.io/kubectl/pkg/cmd/util/editor/editoptions.go,
 * cmd/util/helpers.go, pkg/validation/schema.go): the header with reasons, comment stripping
 * and the validation run on the saved file. Expected texts are those kubectl v1.32 wrote into the
 * files it reopened in the editor.
 */
import { describe, expect, it } from 'vitest';
import { editHeader, manualStrip, stripComments, validationError } from '../../src/commands/edit.ts';

const HEADER =
  "# Please edit the object below. Lines beginning with a '#' will be ignored,\n" +
  '# and an empty file will abort the edit. If an error occurs while saving this file will be\n' +
  '# reopened with the relevant failures.\n#\n';

describe('the header', () => {
  it('is the plain header without reasons', () => {
    expect(editHeader([])).toBe(HEADER);
  });

  it('lists reasons, keeping continuation lines commented', () => {
    expect(
      editHeader([
        { head: 'services "web" was not valid', other: ['<nil>: Invalid value: "The edited file failed validation": [apiVersion not set, kind not set]'] },
      ]),
    ).toBe(
      HEADER + '# services "web" was not valid:\n# * <nil>: Invalid value: "The edited file failed validation": [apiVersion not set, kind not set]\n#\n',
    );
    expect(editHeader([{ head: 'The edited file had a syntax error: first\nsecond', other: [] }])).toBe(
      HEADER + '# The edited file had a syntax error: first\n# second\n#\n',
    );
  });
});

describe('comparing and validating the saved file', () => {
  it('ManualStrip drops comment lines but not #! lines', () => {
    expect(manualStrip('# a\nb: 1\n  # c\n#!x\n')).toBe('b: 1\n#!x\n');
    expect(manualStrip('# only\n')).toBe('');
  });

  it('comments, layout and key order are not changes', () => {
    expect(stripComments('# header\nb: 1\na:   [1, 2]\n')).toBe(stripComments('a:\n- 1\n- 2\nb: 1\n'));
    expect(stripComments('a: 1\n')).not.toBe(stripComments('a: 2\n'));
    // JSON is compared as written
    expect(stripComments('{"a": 1}')).toBe('{"a": 1}');
  });

  it('fails as kubectl validation does', () => {
    expect(validationError(stripComments(''))).toBe('invalid object to validate');
    expect(validationError(stripComments('metadata:\n  name: x\n'))).toBe('[apiVersion not set, kind not set]');
    expect(validationError(stripComments('apiVersion: v1\nmetadata: {}\n'))).toBe('kind not set');
    expect(validationError(stripComments('# c\n# c\napiVersion: v1\nkind Service\nmetadata:\n  name: x\n'))).toBe(
      "yaml: line 3: could not find expected ':'",
    );
    expect(validationError(stripComments('apiVersion: v1\nkind: Service\n'))).toBeUndefined();
  });
});
