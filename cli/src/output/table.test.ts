import { expect } from 'chai';
import { createTable, paint, useColour } from './table.ts';

describe('CLI tables and colour', () => {
  const tty = { isTTY: true } as NodeJS.WriteStream;
  const pipe = { isTTY: false } as NodeJS.WriteStream;

  it('colours only a terminal, and never with NO_COLOR set (an empty NO_COLOR does not count)', () => {
    expect(useColour(tty, {})).to.equal(true);
    expect(useColour(pipe, {})).to.equal(false);
    expect(useColour(tty, { NO_COLOR: '1' })).to.equal(false);
    expect(useColour(tty, { NO_COLOR: '' })).to.equal(true);
  });

  it('prints no escape code without colour; a bold (not red) header with it', () => {
    const plain = createTable({ head: ['route', 'mode'] }, false);
    plain.push(['catalog', 'shadow']);
    expect(plain.toString()).not.to.include('\x1b[');
    expect(plain.toString()).to.include('route');
    // With colour on the header is bold, never red (whether cli-table3 then emits the codes is its
    // own terminal detection: under CI=true it emits none).
    const coloured = createTable({ head: ['route'] }, true) as unknown as { options: { style: { head: string[]; border: string[] } } };
    expect(coloured.options.style).to.deep.include({ head: ['bold'], border: [] });
    expect((createTable({ head: ['route'] }, false) as unknown as { options: { style: { head: string[] } } }).options.style.head).to.deep.equal([]);
    expect(paint(36, 'x', false)).to.equal('x');
    expect(paint(36, 'x', true)).to.equal('\x1b[36mx\x1b[0m');
  });
});
