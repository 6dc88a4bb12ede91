import { create } from 'zustand';
import { cartReducer, EMPTY_CART, type Cart, type CartAction } from '../cart';

interface CartState {
  cart: Cart;
  dispatch(action: CartAction): void;
}

/** UI state only: the cart being rung up, kept while the counter looks at another page. */
export const useCartStore = create<CartState>()((set) => ({
  cart: EMPTY_CART,
  dispatch: (action) => set((s) => ({ cart: cartReducer(s.cart, action) })),
}));
