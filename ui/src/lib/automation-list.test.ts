import {
  automationStatusLabel,
  connectLabel,
  importProblemLines,
  lastRunLabel,
  readExportFile,
} from './automation-list';

describe('automations in words', () => {
  it('says where an automation stands and how its last run went', () => {
    expect(['draft', 'active', 'paused'].map(automationStatusLabel)).toEqual([
      'Not live yet',
      'Live',
      'Paused',
    ]);
    expect(['succeeded', 'failed', 'waiting'].map(lastRunLabel)).toEqual(['Finished', 'Failed', 'Waiting']);
  });

  it('names what each connected account is for', () => {
    expect(['Postmark', 'ClickBank', 'Anthropic', 'WordPress'].map(connectLabel)).toEqual([
      'Postmark for email',
      'ClickBank for sales',
      'Claude for writing',
      'WordPress for publishing',
    ]);
  });
});

describe('reading an export file', () => {
  it('takes an exported automation as it is', () => {
    const text = JSON.stringify({ format: 'hopflow.automation', name: 'Hi', definition: { version: 1 } });
    expect(readExportFile(text)).toEqual({ ok: true, body: JSON.parse(text) });
  });

  it('says what is wrong with a broken or foreign file', () => {
    expect(readExportFile('')).toMatchObject({ ok: false, message: expect.stringMatching(/Choose a file/) });
    expect(readExportFile('{"name": "Hi", ')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/could not be read/),
    });
    expect(readExportFile('[1, 2]')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not an automation file/),
    });
    expect(readExportFile('{"name": "Hi"}')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/no steps/),
    });
  });

  it('names the step or field of each problem the API finds', () => {
    expect(
      importProblemLines(
        [
          { path: 'definition.steps[1].config.to', message: 'an email address' },
          { path: 'definition.steps[0].config.branches[0].steps[2].type', message: 'unknown step type' },
          { path: 'definition.trigger.cron', message: 'five fields' },
          { path: 'name', message: 'Fill this in' },
          { path: 'definition', message: 'an object' },
        ],
        { definition: { steps: [{ name: 'Tag' }, { name: 'Welcome email' }] } },
      ),
    ).toEqual([
      'Step 2 “Welcome email” (to): an email address',
      'Step 1.3 (type): unknown step type',
      'What starts it (cron): five fields',
      'Name: Fill this in',
      'The file: an object',
    ]);
  });
});
