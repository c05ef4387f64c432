x: { inherit "${x}"; }
