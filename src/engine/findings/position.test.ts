import { describe, expect, it } from 'vitest';
import { positionWords } from './position.ts';

describe('positionWords', () => {
  it('names the third of the image that holds the point, each way', () => {
    const at = (x: number, y: number) => positionWords(x, y, 900, 600);
    expect(at(10, 10)).toBe('upper left');
    expect(at(450, 10)).toBe('upper centre');
    expect(at(890, 10)).toBe('upper right');
    expect(at(10, 300)).toBe('centre left');
    expect(at(450, 300)).toBe('centre');
    expect(at(899, 300)).toBe('centre right');
    expect(at(10, 599)).toBe('lower left');
    expect(at(450, 590)).toBe('lower centre');
    expect(at(900, 600)).toBe('lower right');
  });

  it('puts the boundaries at exact thirds', () => {
    expect(positionWords(299.9, 0, 900, 900)).toBe('upper left');
    expect(positionWords(300, 0, 900, 900)).toBe('upper centre');
    expect(positionWords(600, 600, 900, 900)).toBe('lower right');
  });
});
