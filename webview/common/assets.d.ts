/** Stylesheets are bundled as text by esbuild (loader '.css': 'text') and adopted at run time. */
declare module '*.css' {
  const text: string;
  export default text;
}
