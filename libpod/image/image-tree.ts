// `image tree`: an image's layers, lowest first, as Podman prints them: the image's ID, names and
// size, then one line per layer (its ID, its size, and the named images whose top layer it is).
import { goHumanSize } from '../../src/human-units';
import type { Image } from './image-store';

export interface TreeLayer {
  id: string;
  size: number;
}

const short = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);

/** The text Podman's image tree prints (without its final newline). */
export function imageTree(image: Image, layers: TreeLayer[], images: Image[]): string {
  const lines = [`Image ID: ${short(image.id)}`, `Tags:     [${image.names.join(' ')}]`, `Size:     ${goHumanSize(image.size)}`, layers.length ? 'Image Layers' : 'No Image Layers'];
  layers.forEach((l, i) => {
    const tops = images.filter((o) => o.layers[o.layers.length - 1] === l.id).flatMap((o) => o.names);
    const branch = i === layers.length - 1 ? '└── ' : '├── ';
    lines.push(`${branch}ID: ${short(l.id)} Size: ${goHumanSize(l.size).padStart(7)}${tops.length ? ` Top Layer of: [${tops.join(' ')}]` : ''}`);
  });
  return lines.join('\n');
}
