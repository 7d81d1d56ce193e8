"""The columnar result of validate + render: who gets which text, and why not."""
