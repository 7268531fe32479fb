import type { z } from 'zod';
import type { ErrorCode } from '../errors.ts';
import { healthSchema, readySchema } from './common-schemas.ts';
import { loginBody, profilePatchBody, registerBody, userSchema } from './user-contract.ts';
import {
  categoryListSchema, categorySchema, createCategoryBody, createProductBody, productDetailSchema, productListQuery,
  productPageSchema, updateProductBody,
} from './catalog-contract.ts';
import { adjustBody, adjustmentListSchema, adjustmentSchema, adjustmentsQuery, stockSchema } from './inventory-contract.ts';
import { addCartItemBody, cartSchema, setCartQuantityBody } from './cart-contract.ts';
import { orderDetailSchema, orderListQuery, orderPageSchema } from './order-contract.ts';
import { idParams, productIdParams } from '../http/id-param.ts';

export interface RouteSpec {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI form: `/api/products/{id}`. */
  path: string;
  summary: string;
  tag: string;
  auth: 'none' | 'user' | 'admin';
  params?: z.ZodObject;
  query?: z.ZodType;
  body?: z.ZodType;
  success: { status: number; description: string; schema?: z.ZodType; name?: string; setsCookie?: boolean };
  /** Route-specific codes; validation, auth and body codes are added from the other fields. */
  errors: ErrorCode[];
}

/** Every route of the monolith: the contract extracted services reproduce. */
export const routes: RouteSpec[] = [
  { method: 'get', path: '/health', summary: 'Liveness', tag: 'ops', auth: 'none', success: { status: 200, description: 'alive', schema: healthSchema, name: 'Health' }, errors: [] },
  { method: 'get', path: '/ready', summary: 'Readiness (database reachable)', tag: 'ops', auth: 'none', success: { status: 200, description: 'ready', schema: readySchema, name: 'Ready' }, errors: ['NOT_READY'] },

  { method: 'post', path: '/api/auth/register', summary: 'Register a customer and log in', tag: 'users', auth: 'none', body: registerBody,
    success: { status: 201, description: 'the new user; sets the ficus_session cookie', schema: userSchema, name: 'User', setsCookie: true }, errors: ['USER_EMAIL_TAKEN'] },
  { method: 'post', path: '/api/auth/login', summary: 'Log in', tag: 'users', auth: 'none', body: loginBody,
    success: { status: 200, description: 'the user; sets the ficus_session cookie', schema: userSchema, name: 'User', setsCookie: true }, errors: ['AUTH_INVALID_CREDENTIALS'] },
  { method: 'post', path: '/api/auth/logout', summary: 'Log out (ends the session)', tag: 'users', auth: 'user', success: { status: 204, description: 'logged out; clears the cookie' }, errors: [] },
  { method: 'get', path: '/api/me', summary: 'The session user profile', tag: 'users', auth: 'user', success: { status: 200, description: 'the profile', schema: userSchema, name: 'User' }, errors: [] },
  { method: 'patch', path: '/api/me', summary: 'Edit the profile', tag: 'users', auth: 'user', body: profilePatchBody,
    success: { status: 200, description: 'the updated profile', schema: userSchema, name: 'User' }, errors: ['PROFILE_CURRENT_PASSWORD_WRONG', 'USER_EMAIL_TAKEN'] },

  { method: 'get', path: '/api/categories', summary: 'All categories by name', tag: 'catalog', auth: 'none', success: { status: 200, description: 'categories', schema: categoryListSchema, name: 'CategoryList' }, errors: [] },
  { method: 'post', path: '/api/categories', summary: 'Create a category', tag: 'catalog', auth: 'admin', body: createCategoryBody,
    success: { status: 201, description: 'the category', schema: categorySchema, name: 'Category' }, errors: ['CATEGORY_SLUG_TAKEN'] },
  { method: 'get', path: '/api/products', summary: 'List products: pagination, category and price filters, text search, sorting', tag: 'catalog', auth: 'none', query: productListQuery,
    success: { status: 200, description: 'one page of products', schema: productPageSchema, name: 'ProductPage' }, errors: [] },
  { method: 'get', path: '/api/products/{id}', summary: 'Product detail with stock', tag: 'catalog', auth: 'none', params: idParams,
    success: { status: 200, description: 'the product', schema: productDetailSchema, name: 'ProductDetail' }, errors: ['PRODUCT_NOT_FOUND'] },
  { method: 'post', path: '/api/products', summary: 'Create a product with its initial stock', tag: 'catalog', auth: 'admin', body: createProductBody,
    success: { status: 201, description: 'the product', schema: productDetailSchema, name: 'ProductDetail' }, errors: ['CATEGORY_NOT_FOUND', 'PRODUCT_SKU_TAKEN'] },
  { method: 'patch', path: '/api/products/{id}', summary: 'Edit a product', tag: 'catalog', auth: 'admin', params: idParams, body: updateProductBody,
    success: { status: 200, description: 'the product', schema: productDetailSchema, name: 'ProductDetail' }, errors: ['PRODUCT_NOT_FOUND', 'CATEGORY_NOT_FOUND'] },

  { method: 'get', path: '/api/inventory/{productId}', summary: 'Stock of a product', tag: 'inventory', auth: 'admin', params: productIdParams,
    success: { status: 200, description: 'the stock level', schema: stockSchema, name: 'StockLevel' }, errors: ['PRODUCT_NOT_FOUND'] },
  { method: 'get', path: '/api/inventory/{productId}/adjustments', summary: 'Latest stock adjustments, newest first', tag: 'inventory', auth: 'admin', params: productIdParams, query: adjustmentsQuery,
    success: { status: 200, description: 'adjustments', schema: adjustmentListSchema, name: 'AdjustmentList' }, errors: ['PRODUCT_NOT_FOUND'] },
  { method: 'post', path: '/api/inventory/{productId}/adjustments', summary: 'Adjust stock with a reason', tag: 'inventory', auth: 'admin', params: productIdParams, body: adjustBody,
    success: { status: 201, description: 'the adjustment', schema: adjustmentSchema, name: 'Adjustment' }, errors: ['PRODUCT_NOT_FOUND', 'INVENTORY_OUT_OF_RANGE'] },

  { method: 'get', path: '/api/cart', summary: 'The session user cart with totals', tag: 'cart', auth: 'user', success: { status: 200, description: 'the cart', schema: cartSchema, name: 'Cart' }, errors: [] },
  { method: 'post', path: '/api/cart/items', summary: 'Add units of a product', tag: 'cart', auth: 'user', body: addCartItemBody,
    success: { status: 200, description: 'the cart', schema: cartSchema, name: 'Cart' }, errors: ['PRODUCT_NOT_FOUND', 'CART_QUANTITY_LIMIT'] },
  { method: 'put', path: '/api/cart/items/{productId}', summary: 'Set the quantity of a cart line', tag: 'cart', auth: 'user', params: productIdParams, body: setCartQuantityBody,
    success: { status: 200, description: 'the cart', schema: cartSchema, name: 'Cart' }, errors: ['CART_ITEM_NOT_FOUND'] },
  { method: 'delete', path: '/api/cart/items/{productId}', summary: 'Remove a cart line', tag: 'cart', auth: 'user', params: productIdParams,
    success: { status: 200, description: 'the cart', schema: cartSchema, name: 'Cart' }, errors: ['CART_ITEM_NOT_FOUND'] },

  { method: 'post', path: '/api/orders', summary: 'Check out the cart: one transaction (stock, order, charge, email)', tag: 'orders', auth: 'user',
    success: { status: 201, description: 'the paid order', schema: orderDetailSchema, name: 'OrderDetail' }, errors: ['CART_EMPTY', 'ORDER_OUT_OF_STOCK', 'PAYMENT_DECLINED'] },
  { method: 'get', path: '/api/orders', summary: 'The session user orders, newest first', tag: 'orders', auth: 'user', query: orderListQuery,
    success: { status: 200, description: 'one page of orders', schema: orderPageSchema, name: 'OrderPage' }, errors: [] },
  { method: 'get', path: '/api/orders/{id}', summary: 'One order with items, customer and payments', tag: 'orders', auth: 'user', params: idParams,
    success: { status: 200, description: 'the order', schema: orderDetailSchema, name: 'OrderDetail' }, errors: ['ORDER_NOT_FOUND'] },
  { method: 'post', path: '/api/orders/{id}/cancel', summary: 'Cancel a paid order: restock and refund', tag: 'orders', auth: 'user', params: idParams,
    success: { status: 200, description: 'the cancelled order', schema: orderDetailSchema, name: 'OrderDetail' }, errors: ['ORDER_NOT_FOUND', 'ORDER_NOT_CANCELLABLE'] },
];

/** Codes any route may answer with, besides its own. */
export const globalErrorCodes: ErrorCode[] = ['ROUTE_NOT_FOUND', 'BODY_TOO_LARGE', 'INTERNAL'];

/** A route's full list of error codes, derived from what it takes and who may call it. */
export const errorCodesOf = (r: RouteSpec): ErrorCode[] => {
  const codes: ErrorCode[] = [];
  if (r.params || r.query || r.body) codes.push('VALIDATION_FAILED');
  if (r.body) codes.push('BODY_MALFORMED_JSON');
  if (r.auth !== 'none') codes.push('AUTH_REQUIRED');
  if (r.auth === 'admin') codes.push('FORBIDDEN');
  return [...codes, ...r.errors];
};
