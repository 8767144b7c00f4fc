// Regions as COCO instances (the object-detection format CVAT and Label Studio import):
// one annotation per region, with its box and its outer boundary as a polygon in the image's
// pixels, under the single category "anomaly" (docs/method.md §18).

import type { Region } from './regions.ts';

export interface CocoImage {
  id: number;
  file_name: string;
  width: number;
  height: number;
}

export interface CocoAnnotation {
  id: number;
  image_id: number;
  category_id: number;
  /** [x, y, width, height] */
  bbox: [number, number, number, number];
  /** pixels of the region */
  area: number;
  iscrowd: 0;
  /** one polygon [x0, y0, x1, y1, …] */
  segmentation: number[][];
}

export interface CocoInstances {
  info: { description: string };
  licenses: [];
  images: CocoImage[];
  annotations: CocoAnnotation[];
  categories: { id: number; name: string; supercategory: string }[];
}

export interface ImageRegions {
  fileName: string;
  width: number;
  height: number;
  regions: readonly Region[];
}

export const ANOMALY_CATEGORY = { id: 1, name: 'anomaly', supercategory: 'defect' };

/** Ids count from 1, images and annotations in the order given. */
export function cocoInstances(images: readonly ImageRegions[], description: string): CocoInstances {
  const annotations: CocoAnnotation[] = [];
  images.forEach((image, n) => {
    for (const region of image.regions)
      annotations.push({
        id: annotations.length + 1,
        image_id: n + 1,
        category_id: ANOMALY_CATEGORY.id,
        bbox: region.bbox,
        area: region.area,
        iscrowd: 0,
        segmentation: [region.polygon],
      });
  });
  return {
    info: { description },
    licenses: [],
    images: images.map((image, n) => ({
      id: n + 1,
      file_name: image.fileName,
      width: image.width,
      height: image.height,
    })),
    annotations,
    categories: [ANOMALY_CATEGORY],
  };
}
