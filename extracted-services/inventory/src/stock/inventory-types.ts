import type { ReservationStatus } from '../api/inventory-api.ts';

export interface StockLevel {
  productId: number;
  onHand: number;
  reserved: number;
  updatedAt: Date;
}

export interface Adjustment {
  id: number;
  productId: number;
  delta: number;
  quantityAfter: number;
  reason: string;
  adminUserId: number | null;
  createdAt: Date;
}

export interface ReservationItem { productId: number; quantity: number }

export interface Reservation {
  key: string;
  status: ReservationStatus;
  items: ReservationItem[];
  reference: string | null;
  requestHash: string;
  expiresAt: Date;
  createdAt: Date;
  updatedAt: Date;
}
