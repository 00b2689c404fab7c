/* test stand-in */
